"""The agent console: log-in, the queue, live conversations, replies through the customer's
own channel, notes, hand-back and resolve."""
