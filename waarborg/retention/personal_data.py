from waarborg.core.datamap import exempt

exempt("retention.SweepRun", why="the day of a sweep and counts per retention rule")
