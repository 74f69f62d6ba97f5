# revision = 'commented-out'
from typing import Sequence, Union
revision: str = r'x4'
down_revision: Union[str, Sequence[str], None] = (
    'x2',  # left
    # a comment line inside the tuple
    "x3",
)
branch_labels: Union[str, Sequence[str], None] = (
    'feature',
)
depends_on = None
