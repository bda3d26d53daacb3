// A QR code drawn as SVG by React from the qrcode package's module matrix: no canvas, no
// inline markup (the Content-Security-Policy allows neither inline scripts nor styles).
import { create } from 'qrcode';
import { useMemo } from 'react';

/** Modules of quiet zone around the symbol (ISO/IEC 18004 asks for 4). */
const quietZone = 4;

export function QrCode({ text, label, sizePx = 200 }: { text: string; label: string; sizePx?: number }) {
  const { path, size } = useMemo(() => {
    const { modules } = create(text, { errorCorrectionLevel: 'M' });
    let dark = '';
    for (let row = 0; row < modules.size; row += 1) {
      for (let column = 0; column < modules.size; column += 1) {
        if (modules.get(row, column)) dark += `M${column + quietZone} ${row + quietZone}h1v1h-1z`;
      }
    }
    return { path: dark, size: modules.size + 2 * quietZone };
  }, [text]);
  return (
    <svg className="qr-code" role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} width={sizePx} height={sizePx} shapeRendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
