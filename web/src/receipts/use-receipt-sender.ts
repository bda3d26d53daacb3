// Sends the files a person picked or dropped, one after the other, and keeps what went
// wrong with each (a text file, a file too large) to show beside the button that sent it.
// Files given while others are still being sent join in; the refusals of both are kept.
import { useCallback, useRef, useState } from 'react';
import type { ApiProblem } from '../api/problem';
import { useAction } from '../api/queries';
import type { Receipt } from '../api/types';
import { receiptFilesAtOnceMax, receiptsChanged, sendReceipt } from './send-receipt';

export interface RefusedFile {
  fileName: string;
  problem: ApiProblem;
}

export interface ReceiptSender {
  sending: boolean;
  refused: RefusedFile[];
  /** More files than are sent at once were given; the rest were left out. */
  leftOut: number;
  send: (files: readonly File[]) => Promise<void>;
}

export function useReceiptSender(transactionId?: string, onSent?: (receipt: Receipt) => void): ReceiptSender {
  const upload = useAction((file: File) => sendReceipt(file, transactionId), { invalidates: receiptsChanged, onSuccess: onSent });
  const { mutateAsync } = upload;
  const [inFlight, setInFlight] = useState(0);
  const inFlightNow = useRef(0);
  const [refused, setRefused] = useState<RefusedFile[]>([]);
  const [leftOut, setLeftOut] = useState(0);

  const send = useCallback(
    async (files: readonly File[]) => {
      if (files.length === 0) return;
      // A new round of sending starts with a clean slate; one joining a round adds to it.
      if (inFlightNow.current === 0) setRefused([]);
      inFlightNow.current += 1;
      setInFlight(inFlightNow.current);
      setLeftOut(Math.max(0, files.length - receiptFilesAtOnceMax));
      for (const file of files.slice(0, receiptFilesAtOnceMax)) {
        await mutateAsync(file).catch((problem: ApiProblem) => setRefused((previous) => [...previous, { fileName: file.name, problem }]));
      }
      inFlightNow.current -= 1;
      setInFlight(inFlightNow.current);
    },
    [mutateAsync],
  );

  return { sending: inFlight > 0, refused, leftOut, send };
}
