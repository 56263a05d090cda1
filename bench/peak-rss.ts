/**
 * A process's peak resident set size, for the memory benchmarks' children: /proc/self/status VmHWM where
 * there is one (it starts afresh at exec), else getrusage's maxRSS, which a child spawned by a large
 * parent can inherit on Linux (every child of a run would show the parent's peak).
 * @module
 */
import { readFileSync } from 'node:fs';

export function peakRss(): { bytes: number; from: 'VmHWM' | 'maxRSS' } {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return { bytes: Number(match[1]) * 1024, from: 'VmHWM' };
  } catch {
    // Not Linux: fall back to getrusage.
  }
  return { bytes: process.resourceUsage().maxRSS * 1024, from: 'maxRSS' };
}
