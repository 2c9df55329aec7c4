"""Pages of the cockpit (named ``views`` so Streamlit's legacy ``pages/`` discovery never triggers)."""
