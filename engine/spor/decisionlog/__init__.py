"""The decision log (``--log FILE``) and ``spor report`` over it.

Between ``output`` and ``batch``: a row is made from the result record the
output layer writes, and batch, serve and ask append rows through
``store.DecisionLog``. The report reads logs and batch outputs alike.
"""
