"""moodrec: music recommendation from the emotion of a face and a voice."""

__version__ = "0.1.0"
