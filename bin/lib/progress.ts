// A one-line progress bar on stderr, drawn only when stderr is a terminal.

export class ProgressBar {
  private last = -1;
  private readonly start = performance.now();
  constructor(private readonly label: string, private readonly enabled = process.stderr.isTTY === true) {}

  update(fraction: number, detail = ''): void {
    if (!this.enabled) return;
    const percent = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
    if (percent === this.last && fraction < 1) return;
    this.last = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    const seconds = ((performance.now() - this.start) / 1000).toFixed(1);
    process.stderr.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${seconds}s ${detail}\x1b[K`);
  }

  done(): void {
    if (this.enabled && this.last >= 0) process.stderr.write('\n');
  }
}
