"""Services: business rules as plain functions, and async functions over a session."""
