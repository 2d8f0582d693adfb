from waarborg.core.datamap import exempt

exempt("audit.AuditEvent", why="ids, codes and hashes only; personal values are refused at write time")
exempt("audit.AuditHead", why="sequence number and hash of the chain's head")
