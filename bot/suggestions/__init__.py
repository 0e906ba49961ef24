"""Sales suggestions (#14): one relevant product at the right moment, and what came of it.

config (the retailer's rules and weights) → candidates (complements, lifecycle, care) →
filters (stock, size, owned) → ranking → proof (rating and a review snippet); suppression says
when not to; record keeps every step; orders (same parcel), stock (back in stock), reach
(who may be sent a marketing message) and report (the figures) build on them.
"""
