// The file of each export format: its name, as the books' programs expect it (DATEV looks
// for EXTF_ at the start), its extension and its media type with the format's encoding.
import type { ExportFormat } from '../db/schema.js';
import type { ExportBatchRow } from './exports.repository.js';

const fileInfo: Record<ExportFormat, { extension: string; mediaType: string }> = {
  csv: { extension: 'csv', mediaType: 'text/csv; charset=utf-8' },
  sie: { extension: 'se', mediaType: 'text/plain; charset=IBM437' },
  datev: { extension: 'csv', mediaType: 'text/csv; charset=windows-1252' },
  hledger: { extension: 'journal', mediaType: 'text/plain; charset=utf-8' },
};

export function exportFileOf(batch: ExportBatchRow): { name: string; mediaType: string } {
  const info = fileInfo[batch.format];
  const prefix = batch.format === 'datev' ? 'EXTF_Buchungsstapel' : `outlay-${batch.format}`;
  return { name: `${prefix}_${batch.period_from}_${batch.period_to}.${info.extension}`, mediaType: info.mediaType };
}

/** Where the batch's file is kept in the blob store. */
export function exportBlobKey(batch: Pick<ExportBatchRow, 'company_id' | 'id' | 'format'>): string {
  return `exports/${batch.company_id}/${batch.id}.${fileInfo[batch.format].extension}`;
}
