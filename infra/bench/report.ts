export interface BenchResult {
  name: string;
  command: string;
  lines: string[];
}

export function rate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US');
}

export function printResult(r: BenchResult): void {
  console.log(`\n## ${r.name}\n${r.lines.map((l) => `  ${l}`).join('\n')}\n  reproduce: ${r.command}`);
}
