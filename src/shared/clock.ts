// Where Outlay reads the time. The server reads the system's clock once per request or sweep
// and hands that instant down; tests give the server a clock they set, so a test of what
// happens a week later moves the clock instead of waiting or rewriting rows.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
