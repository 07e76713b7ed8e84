# Sources of the compose loader, relative to orchestrator/.
set(STACK_COMPOSE_SOURCES
  compose/config_hash_interim.cpp
)
