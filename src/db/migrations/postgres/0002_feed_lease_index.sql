-- Every feed lease asks which partners have a document out ("ready" with a live lease). With a
-- backlog of 100,000 ready documents a lease + ack of 100 took 43 ms without this index, 32 ms with.
CREATE INDEX documents_ready_lease ON documents (lease_until) WHERE status = 'ready';
