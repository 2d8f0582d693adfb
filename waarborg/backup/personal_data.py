from waarborg.core.datamap import exempt

exempt("backup.KeyState", why="a kind of data and the id of the key it is under; no personal data")
exempt("backup.KeyRotation", why="kinds, key ids, times and counts of key rotations; no personal data")
