"""What a person runs: the commands `moodrec recommend`, `moodrec read` and `moodrec calibrate`,
and the `person` pipeline held warm in one process (`service`), which they and the page use."""
