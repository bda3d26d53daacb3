-- The expense sync looks for an expense's twins (the same person, amount and day) among the
-- company's expenses in one query per batch. The index on person and day left the amount to
-- a filter: a person with thousands of purchases on one day (the hour-long soak of the
-- verification suite: 2,500 a card) made each lookup read them all, about 45 ms a purchase,
-- and the sync fell behind. With the amount in the index a lookup reads only the twins.
--
-- outlay: expand
CREATE INDEX expenses_twin_key ON expenses (company_id, user_id, spent_on, amount);
