"""The caseworker side: cases (queue, claim, reply, close, SLA, office hours), caseworker
accounts and auth, the web console, the REST API and team notifications."""
