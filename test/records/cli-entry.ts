// Runs the CLI from source in a child process, for tests that must kill a real `marco` process.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv);
