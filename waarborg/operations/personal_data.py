from waarborg.core.datamap import exempt

exempt("operations.DailyRun", why="a day, times, job names and counts; no personal data")
exempt("operations.AuditCheck", why="time, result, number of events and a problem naming event ids only")
