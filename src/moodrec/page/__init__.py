"""The person page of `moodrec serve`: a local Streamlit app over the person pipeline."""
