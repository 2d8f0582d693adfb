from waarborg.core.datamap import exempt

exempt("register.Recipient", why="organisations that receive data: names, purposes and agreements")
