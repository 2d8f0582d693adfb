from waarborg.core.datamap import exempt

exempt(
    "api.ApiToken",
    why=(
        "credentials of API clients (integrations, not people): a name, scopes, a keyed hash and "
        "prefix of the token, its dates, and the id of the staff account that issued it"
    ),
)
exempt(
    "api.ApiRequest",
    why="which API client registered which privacy request: ids and the client's name only",
)
