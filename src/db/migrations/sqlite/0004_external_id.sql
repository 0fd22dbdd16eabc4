-- A transport's own id for a message (AS2 MDN key), looked up on every AS2 receive.
ALTER TABLE messages ADD COLUMN external_id TEXT;
CREATE INDEX messages_external ON messages (external_id);
