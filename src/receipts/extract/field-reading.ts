/** One field read from receipt text, with how strongly the printed evidence supports it. */
export interface FieldReading {
  value: string;
  /** 0..1: how much the printed evidence agrees on this value. */
  confidence: number;
}
