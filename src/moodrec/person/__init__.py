"""A person's path: reading a face and a voice, the answer, the person datasets, the
commands (`moodrec recommend`, `moodrec read`, `moodrec calibrate`) and the warm service."""
