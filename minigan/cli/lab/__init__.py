"""The lab: watch and steer a GAN as it trains, in the browser, on minigan's own engine.

``python -m minigan lab`` starts ``server.LabServer`` (standard-library HTTP and Server-Sent Events) and
``session.LabSession`` (the one training thread); ``run.LabRun`` is one run, built and stepped as
``python -m minigan train`` builds and steps it; ``settings`` checks everything the page sends.
The page (``static/``) is plain HTML, CSS and JavaScript written for it: it works offline.
"""
