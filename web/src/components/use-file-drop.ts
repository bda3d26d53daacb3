// Files dropped onto a box from the computer's file manager: the box shows it takes them
// while they are dragged over it, and hands them on when they are let go. Drags that carry
// no files (text, a link) are left to the browser.
import { useState, type DragEvent } from 'react';

export interface FileDrop {
  /** Whether files are being dragged over the box now. */
  over: boolean;
  /** Spread onto the box's element. */
  handlers: {
    onDragOver: (event: DragEvent) => void;
    onDragLeave: () => void;
    onDrop: (event: DragEvent) => void;
  };
}

export function useFileDrop(onFiles: (files: File[]) => void): FileDrop {
  const [over, setOver] = useState(false);
  return {
    over,
    handlers: {
      onDragOver: (event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setOver(true);
      },
      onDragLeave: () => setOver(false),
      onDrop: (event) => {
        event.preventDefault();
        setOver(false);
        onFiles(Array.from(event.dataTransfer.files));
      },
    },
  };
}
