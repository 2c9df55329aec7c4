"""The Decision Cockpit: Streamlit app, command line, and the one scoped query layer."""
