"""supervisor-tui: a customer-service supervisor's rota, quality checks, one-to-ones and complaints."""

__version__ = "0.1.0"
