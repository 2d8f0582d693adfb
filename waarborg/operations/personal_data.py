from waarborg.core.datamap import exempt

exempt(
    "operations.DailyRun",
    why="a day, times, job names, counts and the server's host name and process id; no personal data",
)
exempt("operations.AuditCheck", why="time, result, number of events and a problem naming event ids only")
