"""Human handoff: opening hours, the queue, agents, tickets and satisfaction surveys."""
