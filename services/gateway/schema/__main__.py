"""Write the schema's SDL to services/gateway/schema.graphql."""

from services.gateway.schema import SDL_PATH, sdl

with open(SDL_PATH, "w") as f:
    f.write(sdl())
print(f"wrote {SDL_PATH}")
