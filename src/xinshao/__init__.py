"""心哨 Xinshao: a city education bureau's school mental-health service platform."""
