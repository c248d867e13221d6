import type { Clock } from '../../src/core/ports.js';

export class FixedClock implements Clock {
  constructor(private current: Date = new Date('2026-11-23T02:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
