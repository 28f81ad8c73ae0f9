"""What serves model training: seeds and Keras settings, the machine description written
into model cards, and the classification metrics and plots."""
