"""What every domain package stands on: the database (models, sessions, encryption), the
turn pipeline (inbound -> dialog -> outbox) and its seams, the outbox sender, rendering and
privacy. It imports channels, locales and dialogs, never handoff or bot."""
