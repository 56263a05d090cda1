/**
 * Shell completion for bash, zsh and fish, generated from the command tree itself (commander's
 * commands, subcommands and options), so it cannot fall behind the CLI: `marco completion bash`
 * prints a script to source (`source <(marco completion bash)`), and the same for zsh and fish.
 * Words after a command complete its options, then file names.
 * @module
 */
import type { Command } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface Node {
  path: string[];
  description: string;
  options: string[];
  /** The options that take a value (their word completes as a file name in fish). */
  valued: Set<string>;
  children: Node[];
}

function tree(cmd: Command, path: string[] = []): Node {
  return {
    path,
    description: cmd.description(),
    options: cmd.options.map((o) => o.long ?? o.short ?? '').filter(Boolean),
    valued: new Set(cmd.options.filter((o) => o.required || o.optional).map((o) => o.long ?? o.short ?? '')),
    children: cmd.commands.filter((c) => c.name() !== 'help').map((c) => tree(c, [...path, c.name()])),
  };
}

const all = (node: Node): Node[] => [node, ...node.children.flatMap(all)];
const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

function bash(root: Node, name: string): string {
  const global = root.options;
  const cases = all(root)
    .filter((n) => n.path.length > 0)
    .map((n) => {
      const words = n.children.length
        ? n.children.map((c) => c.path.at(-1)!)
        : [...n.options, ...global, '--help'];
      return `    ${quote(n.path.join(' '))}) words=${quote(words.join(' '))} ;;`;
    });
  const fn = `_${name.replace(/\W/g, '_')}`;
  return `# ${name} completion for bash: source <(${name} completion bash)
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} path="" i words
  # The command path: the words before the cursor that are not options.
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) path="\${path:+$path }\${COMP_WORDS[i]}" ;; esac
  done
  case "$path" in
    '') words=${quote([...root.children.map((c) => c.path[0]!), ...global, '--help', '--version'].join(' '))} ;;
${cases.join('\n')}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F ${fn} ${name}
`;
}

function zsh(root: Node, name: string): string {
  // zsh runs the bash function through its own bashcompinit: one description of the tree for both.
  return `#compdef ${name}
# ${name} completion for zsh: source <(${name} completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(root, name).replace(/^# .*\n/, '')}`;
}

function fish(root: Node, name: string): string {
  const lines = [`# ${name} completion for fish: ${name} completion fish | source`, `complete -c ${name} -f`];
  const flag = (option: string) =>
    option.startsWith('--') ? `-l ${option.slice(2)}` : `-s ${option.slice(1)}`;
  for (const option of root.options) lines.push(`complete -c ${name} ${flag(option)}`);
  for (const n of all(root).filter((x) => x.path.length > 0)) {
    const parents = n.path.slice(0, -1);
    const condition = parents.length
      ? `__fish_seen_subcommand_from ${parents.at(-1)}`
      : '__fish_use_subcommand';
    lines.push(
      `complete -c ${name} -n ${quote(condition)} -a ${quote(n.path.at(-1)!)} -d ${quote(n.description)}`,
    );
    if (n.children.length === 0)
      for (const option of n.options)
        lines.push(
          `complete -c ${name} -n ${quote(`__fish_seen_subcommand_from ${n.path.at(-1)}`)} ${flag(option)} -r -F`,
        );
  }
  return `${lines.join('\n')}\n`;
}

/** The completion script of `program` for `shell`. */
export function completionScript(program: Command, shell: Shell): string {
  const root = tree(program);
  const name = program.name();
  return shell === 'bash' ? bash(root, name) : shell === 'zsh' ? zsh(root, name) : fish(root, name);
}
