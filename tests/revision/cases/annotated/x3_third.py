from typing import Union
revision:str='x3'
down_revision : Union[str, None]= 'x1'
