-- Which OCR engine read a receipt (the ocr-engine flag's variant at the time), so that an
-- operator comparing engines company by company sees what each reading came from. Null where
-- no OCR ran (a PDF's own text, a mail's text) and for receipts read before this column.
--
-- outlay: expand
ALTER TABLE receipts ADD COLUMN read_engine text
  CHECK (read_engine IN ('tesseract', 'paddle', 'paddle+tesseract'));
