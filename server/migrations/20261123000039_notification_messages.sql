-- A message as its key and arguments (notices::model::Message as JSON), put into words
-- when it is read, in the reader's language. Rows from before keep their written title.
ALTER TABLE notifications ADD COLUMN message JSONB;
