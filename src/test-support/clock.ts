// A clock a test sets and moves by hand.
import type { Clock } from '../shared/clock.js';

export class ManualClock implements Clock {
  #current: Date;

  constructor(start: Date = new Date()) {
    this.#current = new Date(start);
  }

  now(): Date {
    return new Date(this.#current);
  }

  set(instant: Date): void {
    this.#current = new Date(instant);
  }

  advance(ms: number): Date {
    this.#current = new Date(this.#current.getTime() + ms);
    return this.now();
  }
}
