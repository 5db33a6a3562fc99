"""The visitor's journey: the questionnaire wizard, storing a submission, the result page.
"""
