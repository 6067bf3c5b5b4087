"""COPIL report packs: each department's semester pack and the national annual report.

Two steps: a pack *dataset* is built from the warehouse (`dataset.py`: every figure the pack
shows, after statistical confidentiality), then rendered to HTML and PDF from that dataset only
(`render.py`); `publish.py` writes the packs atomically and re-renders only those whose dataset
changed.
"""
