from waarborg.core.datamap import exempt

exempt("public.StatementVersion", why="the published privacy statement: the controller's text, no personal data")
