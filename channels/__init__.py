"""Channel adapters: one module per provider, behind the interface of ``channels.base``."""
