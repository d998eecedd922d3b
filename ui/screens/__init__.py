"""The kiosk screens: thin views that render kiosk.session state and forward intents."""
