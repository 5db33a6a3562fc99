"""PDF rendering behind one function: the visitor's advice report and the consultant's brief.

Also the ready-to-show values that the result page and the PDF share.
"""
