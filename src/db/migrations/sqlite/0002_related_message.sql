-- Outbound messages that answer an inbound one (functional acks, MDNs) point at it.
ALTER TABLE messages ADD COLUMN related_message_id TEXT;
CREATE INDEX messages_related ON messages (related_message_id);
