"""The declarative table (questions, rules, norms, measures, plans) and the pure engine.

Imports nothing else of ours: answers in, a frozen advice out.
"""
