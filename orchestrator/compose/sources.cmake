# Sources of the compose loader, relative to orchestrator/.
set(STACK_COMPOSE_SOURCES
)
