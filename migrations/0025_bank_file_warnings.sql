-- Bank statement files read liberally (issue 18): what a reader accepted although it was not
-- as the format says is kept with the file, as a JSON list of {code, line, path, message}, so
-- that the import shows it again when the same file comes again. camt.052 intraday reports
-- and camt.054 notifications are imported beside camt.053 statements.
--
-- outlay: expand
ALTER TABLE bank_statement_files ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]'::jsonb
  CHECK (jsonb_typeof(warnings) = 'array');

ALTER TABLE bank_statement_files DROP CONSTRAINT bank_statement_files_format_check;
ALTER TABLE bank_statement_files ADD CONSTRAINT bank_statement_files_format_check
  CHECK (format IN ('mt940', 'camt.052', 'camt.053', 'camt.054'));
