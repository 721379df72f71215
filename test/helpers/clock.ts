/** A clock that moves only when told; times in milliseconds. */
export class ManualClock {
  constructor(private ms = Date.UTC(2026, 11, 3, 12, 0, 0)) {}

  now = (): number => this.ms;

  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }

  date(): Date {
    return new Date(this.ms);
  }
}
